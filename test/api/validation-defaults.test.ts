import { Type } from '@sinclair/typebox';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { useTypeBoxValidation } from '../../src-main/api/validation.js';

describe('TypeBox request validation', () => {
  it('fills schema defaults where a schema declares them (also nested), and leaves other input as sent', async () => {
    const app = Fastify();
    useTypeBoxValidation(app);
    app.get(
      '/with',
      {
        schema: {
          querystring: Type.Object({ limit: Type.Integer({ default: 7 }), q: Type.Optional(Type.String()) }),
        },
      },
      async (req) => req.query,
    );
    app.post(
      '/nested',
      {
        schema: {
          body: Type.Object({ a: Type.Object({ b: Type.Number({ default: 2 }) }, { default: {} }) }),
        },
      },
      async (req) => req.body,
    );
    app.get(
      '/without',
      { schema: { querystring: Type.Object({ n: Type.Optional(Type.Integer()) }) } },
      async (req) => req.query,
    );
    try {
      expect((await app.inject({ url: '/with?q=x' })).json()).toEqual({ limit: 7, q: 'x' });
      expect((await app.inject({ url: '/with?limit=3' })).json()).toEqual({ limit: 3 });
      expect((await app.inject({ method: 'POST', url: '/nested', payload: {} })).json()).toEqual({
        a: { b: 2 },
      });
      expect((await app.inject({ url: '/without?n=5' })).json()).toEqual({ n: 5 });
      expect((await app.inject({ url: '/without' })).json()).toEqual({});
      const bad = await app.inject({ url: '/without?n=five' });
      expect(bad.statusCode).toBe(400);
    } finally {
      await app.close();
    }
  });
});
