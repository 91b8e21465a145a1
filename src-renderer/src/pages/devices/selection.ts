export type Selection = { kind: 'device' | 'load' | 'signal'; uid: number } | { kind: 'add' } | null;
