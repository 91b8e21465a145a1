import type { Device, Protocol, Signal } from '../../src-preload/contract/domain.js';
import type { DeviceReader } from './device-reader.js';

/** Builds the reader for one configured device; one factory per protocol, wired in the composition root. */
export type ReaderFactory = (device: Device, signals: readonly Signal[]) => DeviceReader;

export type ReaderFactories = Partial<Record<Protocol, ReaderFactory>>;
