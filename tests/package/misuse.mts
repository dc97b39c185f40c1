// Must NOT type-check: proves the declarations are really consulted.
import { load } from 'leastdata';

const ld = await load();
ld.compile({ version: 2, select: 'a' });
ld.compile({ version: 1, select: 'a' }).filter(42);
