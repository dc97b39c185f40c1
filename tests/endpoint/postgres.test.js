// leastdata-endpoint on PostgreSQL: a throwaway cluster (initdb as postgres into a temp
// dir, started on a free port, removed afterwards) and the shared black-box suite.
import { describe } from 'node:test';
import { postgresBackend } from './helpers.js';
import { endpointSuite } from './suite.js';

describe('endpoint on PostgreSQL', { concurrency: 1 }, () => endpointSuite(postgresBackend));
