import { Store } from '../../store/store.js';
import { TokenError } from '../../store/tokens-repo.js';
import { defaultDbFile } from '../../util/data-dir.js';
import { oneOf, OperationError, parse, str, UsageError, type Io } from '../args.js';

const USAGE =
  'ems-commissioner tokens create --label TEXT --user ADMIN [--db FILE] | tokens list [--db FILE] | tokens revoke ID [--db FILE]';

/** API tokens for the Telemetry API (X-Enapter-Auth-Token): made by an admin, shown once, stored hashed. */
export async function tokens(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { label: { type: 'string' }, user: { type: 'string' }, db: { type: 'string' } },
    USAGE,
  );
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const action = oneOf(positionals[0], 'action (create|list|revoke)', ['create', 'list', 'revoke'] as const);
  const store = new Store({ file: typeof values.db === 'string' ? values.db : defaultDbFile() });
  try {
    if (action === 'list') {
      const list = store.tokens.list();
      io.out(
        values.json
          ? JSON.stringify(list)
          : list
              .map(
                (t) =>
                  `${t.id}\t${t.revoked ? 'revoked' : 'active'}\t${t.createdBy}\t${new Date(t.created).toISOString()}\t${t.label}`,
              )
              .join('\n') || 'no API tokens',
      );
      return 0;
    }
    if (action === 'revoke') {
      const id = positionals[1];
      if (!id)
        throw new UsageError(`a token ID is required (see: ems-commissioner tokens list)\nusage: ${USAGE}`);
      if (!store.tokens.revoke(id)) throw new OperationError(`no API token "${id}"`);
      io.out(values.json ? JSON.stringify({ id, revoked: true }) : `revoked ${id}`);
      return 0;
    }
    const label = str(values.label, 'label');
    const user = str(values.user, 'user');
    try {
      const { token, info } = store.tokens.create(label, user);
      io.out(
        values.json
          ? JSON.stringify({ ...info, token })
          : `${token}\n(API token ${info.id} "${info.label}": shown only now, store it safely; send it as X-Enapter-Auth-Token)`,
      );
      return 0;
    } catch (e) {
      if (e instanceof TokenError) throw new OperationError(e.message);
      throw e;
    }
  } finally {
    store.close();
  }
}
