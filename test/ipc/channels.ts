import { REQUESTS } from '../../src-preload/contract/requests.js';

/** The contract's channel list, from its schemas (the run-time side of InvokeMap). */
export const CHANNEL_LIST = Object.keys(REQUESTS);
