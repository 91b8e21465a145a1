/** What the map builder shows: decodes of a probed range, live values of picked registers. */

export type ByteOrderView = 'ABCD' | 'CDAB' | 'BADC' | 'DCBA';

export interface ProbeHintView {
  quantity: 'voltage' | 'frequency' | 'current' | 'power';
  as: string;
  scale: number;
  value: number;
  unit: string;
}

export interface ProbeRowView {
  address: number;
  word: number | null;
  int16?: number;
  uint16?: number;
  int32?: Record<ByteOrderView, number>;
  uint32?: Record<ByteOrderView, number>;
  float32?: Record<ByteOrderView, number | null>;
  hints: ProbeHintView[];
}

export interface ProbeView {
  endpoint: string;
  fc: 3 | 4;
  rows: ProbeRowView[];
  requests: number;
  refusals: { address: number; count: number; reason: string }[];
}

/** One picked register read now: its value after type, order and scale, or why there is none. */
export interface PickValueView {
  value: number | null;
  words: number[] | null;
  error: string | null;
}

export interface CatalogueEntryView {
  key: string;
  name: string;
  unit: string;
}

export interface ModelFileView {
  fileName: string;
  json: string;
}
