/// <reference types="vite/client" />
import type { EmsApi } from '../../src-preload/contract/index.js';

declare global {
  interface Window {
    ems?: EmsApi;
  }
}
