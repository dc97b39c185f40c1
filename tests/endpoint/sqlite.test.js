// leastdata-endpoint on SQLite (a fresh file in a temp dir): the shared black-box suite.
import { describe } from 'node:test';
import { sqliteBackend } from './helpers.js';
import { endpointSuite } from './suite.js';

describe('endpoint on SQLite', { concurrency: 1 }, () => endpointSuite(async () => sqliteBackend()));
