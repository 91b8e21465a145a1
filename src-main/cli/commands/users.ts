import { Store } from '../../store/store.js';
import { defaultDbFile } from '../../util/data-dir.js';
import { oneOf, OperationError, parse, UsageError, type Io } from '../args.js';

const USAGE =
  'ems-commissioner users add USERNAME [--role api|admin] [--password-stdin] [--db FILE] | users list';

export async function users(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { role: { type: 'string' }, 'password-stdin': { type: 'boolean' }, db: { type: 'string' } },
    USAGE,
  );
  const action = oneOf(positionals[0], 'action (add|list|remove)', ['add', 'list', 'remove'] as const);
  const store = new Store({ file: typeof values.db === 'string' ? values.db : defaultDbFile() });
  try {
    if (action === 'list') {
      const list = store.users.list();
      io.out(
        values.json
          ? JSON.stringify(list)
          : list.map((u) => `${u.username}\t${u.role}`).join('\n') || 'no accounts',
      );
      return 0;
    }
    const username = positionals[1];
    if (!username) throw new UsageError(`a USERNAME is required\nusage: ${USAGE}`);
    if (action === 'remove') {
      if (!store.users.remove(username)) throw new OperationError(`no user "${username}"`);
      io.out(`removed ${username}`);
      return 0;
    }
    const role = oneOf(values.role, 'role', ['api', 'admin'] as const, 'api');
    let password: string;
    if (values['password-stdin']) password = (await io.readStdin()).replace(/\r?\n$/, '');
    else if (process.env.EMS_PASSWORD) password = process.env.EMS_PASSWORD;
    else
      throw new UsageError('give the password on standard input with --password-stdin (or in EMS_PASSWORD)');
    try {
      store.users.add(username, password, role);
    } catch (e) {
      throw new OperationError((e as Error).message);
    }
    io.out(values.json ? JSON.stringify({ username, role }) : `created ${role} account ${username}`);
    return 0;
  } finally {
    store.close();
  }
}
