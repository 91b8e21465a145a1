import { describe, expect, it } from 'vitest';
import { TransportEmitter } from '../../src-main/transport/emitter.js';

class Line extends TransportEmitter {
  data(chunk: Buffer): void {
    this.emitData(chunk);
  }
  close(reason?: Error): void {
    this.emitClose(reason);
  }
}

describe('TransportEmitter', () => {
  it('calls every listener in the order added, and off removes one registration', () => {
    const line = new Line();
    const heard: string[] = [];
    const a = (c: Buffer): void => void heard.push(`a:${c.toString()}`);
    const b = (c: Buffer): void => void heard.push(`b:${c.toString()}`);
    line.on('data', a);
    line.on('data', b);
    line.on('data', a);
    line.data(Buffer.from('1'));
    line.off('data', a);
    line.data(Buffer.from('2'));
    line.off('data', a);
    line.off('data', a);
    line.data(Buffer.from('3'));
    expect(heard).toEqual(['a:1', 'b:1', 'a:1', 'a:2', 'b:2', 'b:3']);
  });

  it('a listener removed or added during a dispatch takes effect from the next one', () => {
    const line = new Line();
    const heard: string[] = [];
    const late = (): void => void heard.push('late');
    const second = (): void => void heard.push('second');
    line.on('data', () => {
      heard.push('first');
      line.off('data', second);
      line.on('data', late);
    });
    line.on('data', second);
    line.data(Buffer.from('x'));
    expect(heard).toEqual(['first', 'second']);
    heard.length = 0;
    line.data(Buffer.from('y'));
    expect(heard).toEqual(['first', 'late']);
  });

  it('keeps data and close listeners apart and hands close its reason', () => {
    const line = new Line();
    const reasons: (Error | undefined)[] = [];
    const chunks: Buffer[] = [];
    line.on('close', (r) => reasons.push(r));
    line.on('data', (c) => chunks.push(c));
    const why = new Error('unplugged');
    line.close(why);
    line.close();
    expect(reasons).toEqual([why, undefined]);
    expect(chunks).toEqual([]);
  });
});
