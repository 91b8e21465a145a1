import { detectP1 } from '../../bus/p1-detect.js';
import { int, OperationError, parse, str, type Io } from '../args.js';

const USAGE = 'ems-commissioner scan p1 --port PATH [--listen SECONDS] [--json]';

/** Detects a P1 port's serial settings and DSMR version from what the meter sends. */
export async function scanP1(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, { port: { type: 'string' }, listen: { type: 'string' } }, USAGE);
  const path = str(values.port, 'port');
  const listenMs = values.listen === undefined ? 12_000 : int(values.listen, 'listen', 1, 120) * 1000;
  const abort = new AbortController();
  const onSig = (): void => abort.abort();
  process.once('SIGINT', onSig);
  try {
    const r = await detectP1(path, {
      listenMs,
      signal: abort.signal,
      onProgress: (p) => {
        if (p.phase === 'listening')
          io.err(
            `listening at ${p.settings.baudRate} ${p.settings.dataBits}${p.settings.parity[0]!.toUpperCase()}${p.settings.stopBits} (${p.attempt}/${p.of})…`,
          );
      },
    });
    if (values.json) io.out(JSON.stringify(r, null, 2));
    if (!r.ok) throw new OperationError(`no P1 telegram on ${path}: ${r.reason} (${r.detail})`);
    if (!values.json) {
      const s = r.settings;
      io.out(
        `${path}: ${s.baudRate} ${s.dataBits}${s.parity[0]!.toUpperCase()}${s.stopBits}, DSMR ${r.dsmr ?? '?'}${r.header ? `, meter ${r.header}` : ''}, CRC ${r.crc} (${r.evidence})`,
      );
    }
    return 0;
  } finally {
    process.off('SIGINT', onSig);
  }
}
