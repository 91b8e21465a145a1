import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { isElectricityLoad, seedMeterSettings } from '../../devices/meter-settings.js';
import type { Engine } from '../../engine.js';
import { bearerGuard } from '../guards.js';
import { ConfigQuery, PagedQuery, UidParams, webapiResponses as ok } from '../schemas/common.js';
import { DevicesBody, LoadsBody, SignalsBody } from '../schemas/webapi.js';
import { scoped } from '../scope.js';
import { lookup } from './lookup.js';
import { pageSpec, slicePage, uidList } from './params.js';
import { byUid, deviceWire, loadWire, signalWire } from './shapes.js';

type UidReq = { Params: Static<typeof UidParams> };

/** The configuration tree: devices → loads → signals. */
export async function configRoutes(app: FastifyInstance, engine: Engine): Promise<void> {
  const config = engine.store.config;
  const loadsBody = (loads: ReturnType<typeof config.loads>) => {
    const devices = new Map(config.devices().map((d) => [d.uid, d]));
    const main = engine.store.meterSettings.mainLoad();
    return {
      loads: byUid(
        loads.map((l) => {
          const d = devices.get(l.did);
          const meter =
            d && isElectricityLoad(d, l, engine.library)
              ? seedMeterSettings(
                  d,
                  engine.library,
                  l.uid === main,
                  engine.store.meterSettings.lastRead(d.uid),
                )
              : undefined;
          return loadWire(l, d?.protocol, meter);
        }),
      ),
    };
  };
  const { device, load, signal } = lookup(config);

  await scoped(app, bearerGuard(engine.store), (s) => {
    s.get<{ Querystring: Static<typeof ConfigQuery> }>(
      '/v1/devices',
      {
        schema: {
          tags: ['Configuration'],
          summary: 'Devices',
          querystring: ConfigQuery,
          response: ok(DevicesBody),
        },
      },
      async (req) => ({
        devices: byUid(
          config.devices({ uids: uidList(req.query.uids), protocol: req.query.protocol }).map(deviceWire),
        ),
      }),
    );
    s.get<UidReq>(
      '/v1/devices/:uid',
      {
        schema: {
          tags: ['Configuration'],
          summary: 'One device',
          params: UidParams,
          response: ok(DevicesBody, [400, 401, 404]),
        },
      },
      async (req) => ({ devices: byUid([deviceWire(device(req.params.uid))]) }),
    );
    s.get<{ Querystring: Static<typeof ConfigQuery> }>(
      '/v1/loads',
      {
        schema: {
          tags: ['Configuration'],
          summary: 'Loads, each with its protocol settings under a key named after its protocol',
          querystring: ConfigQuery,
          response: ok(LoadsBody),
        },
      },
      async (req) => loadsBody(config.loads({ uids: uidList(req.query.uids), protocol: req.query.protocol })),
    );
    s.get<UidReq>(
      '/v1/loads/:uid',
      {
        schema: {
          tags: ['Configuration'],
          summary: 'One load',
          params: UidParams,
          response: ok(LoadsBody, [400, 401, 404]),
        },
      },
      async (req) => loadsBody([load(req.params.uid)]),
    );
    s.get<{ Querystring: Static<typeof PagedQuery> }>(
      '/v1/signals',
      {
        schema: {
          tags: ['Configuration'],
          summary: 'Signals, ordered by uid and paged',
          querystring: PagedQuery,
          response: ok(SignalsBody),
        },
      },
      async (req) => ({
        signals: byUid(
          slicePage(config.signals({ uids: uidList(req.query.uids) }), pageSpec(req.query)).map(signalWire),
        ),
      }),
    );
    s.get<UidReq>(
      '/v1/signals/:uid',
      {
        schema: {
          tags: ['Configuration'],
          summary: 'One signal',
          params: UidParams,
          response: ok(SignalsBody, [400, 401, 404]),
        },
      },
      async (req) => {
        return { signals: byUid([signalWire(signal(req.params.uid))]) };
      },
    );
    s.get<UidReq>(
      '/v1/loads/:uid/signals',
      {
        schema: {
          tags: ['Configuration'],
          summary: 'Signals of one load',
          params: UidParams,
          response: ok(SignalsBody, [400, 401, 404]),
        },
      },
      async (req) => ({ signals: byUid(config.signals({ lid: load(req.params.uid).uid }).map(signalWire)) }),
    );
    s.get<UidReq>(
      '/v1/devices/:uid/loads',
      {
        schema: {
          tags: ['Configuration'],
          summary: 'Loads of one device, each with its protocol settings under its protocol name',
          params: UidParams,
          response: ok(LoadsBody, [400, 401, 404]),
        },
      },
      async (req) => loadsBody(config.loads({ did: device(req.params.uid).uid })),
    );
    s.get<UidReq>(
      '/v1/devices/:uid/signals',
      {
        schema: {
          tags: ['Configuration'],
          summary: 'Signals of one device',
          params: UidParams,
          response: ok(SignalsBody, [400, 401, 404]),
        },
      },
      async (req) => ({
        signals: byUid(config.signals({ did: device(req.params.uid).uid }).map(signalWire)),
      }),
    );
  });
}
