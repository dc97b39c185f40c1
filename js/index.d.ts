// Type declarations of the leastdata package (hand-written; checked by tsc in the tests).

/** Every failure: a stable `code`, a human `message`, and where it applies a byte `offset`. */
export declare class LeastDataError extends Error {
  constructor(code: LeastDataErrorCode | string, message: string, offset?: number);
  readonly name: 'LeastDataError';
  readonly code: LeastDataErrorCode | string;
  readonly offset?: number;
  toJSON(): { error: { code: string; message: string; offset?: number } };
}

/** Every code of the core's table (wasm/include/leastdata/error_codes.hpp) that reaches an app: the core's, the endpoint's and the package's own (tests/js/error-codes.test.js checks it). */
export type LeastDataErrorCode =
  | 'invalid_policy'
  | 'invalid_json'
  | 'invalid_utf8'
  | 'depth_limit'
  | 'size_limit'
  | 'duplicate_key'
  | 'invalid_argument'
  | 'invalid_certificate'
  | 'personal_data'
  | 'request_not_allowed'
  | 'write_not_allowed'
  | 'internal_error'
  | 'invalid_request'
  | 'confirmation_mismatch'
  | 'method_not_allowed'
  | 'request_timeout'
  | 'length_required'
  | 'payload_too_large'
  | 'uri_too_long'
  | 'unsupported_media_type'
  | 'invalid_stats'
  | 'inexact_number'
  | 'invalid_access'
  | 'too_many_entries'
  | 'headers_too_large'
  | 'unauthorized'
  | 'invalid_token'
  | 'session_required'
  | 'session_expired'
  | 'sign_in_refused'
  | 'forbidden'
  | 'tenant_inactive'
  | 'quota_exceeded'
  | 'rate_limited'
  | 'not_found'
  | 'version_conflict'
  | 'job_stopped'
  | 'unavailable'
  | 'zendesk_unavailable'
  | 'overloaded'
  | 'insufficient_storage'
  | 'load_failed'
  | 'disposed'
  | 'path_not_allowed'
  | 'invalid_response'
  | 'origin_not_allowed'
  | 'popup_blocked'
  | 'sign_in_cancelled'
  | 'not_ids_only'
  | 'invalid_job'
  | 'invalid_state'
  | 'job_gone'
  | 'job_taken_over'
  | 'step_failed'
  | 'paused'
  | 'stopped';

/** Where the .wasm comes from; default: beside the package's JavaScript. */
export interface LoadOptions {
  wasm?: URL | string | ArrayBuffer | ArrayBufferView | Response;
}

export declare function load(options?: LoadOptions): Promise<LeastData>;

/** The Zendesk resources a policy can name (DESIGN §2.2; docs/policy-language.md lists their envelopes). */
export type ZendeskResource =
  | 'ticket'
  | 'user'
  | 'organization'
  | 'comment'
  | 'audit'
  | 'group'
  | 'ticket_field'
  | 'user_field'
  | 'organization_field'
  | 'identity'
  | 'ticket_event'
  | 'job_status'
  | 'satisfaction_rating';

/** A policy document (DESIGN §2); see docs/policy-language.md. */
export interface PolicyDocument {
  version: 1;
  name?: string;
  resources?: Partial<Record<ZendeskResource, string>>;
  select?: string;
  /** The API requests the app may make: `METHOD PATH[?param&param...]`, `{id}` for 1–20 digits, `*` for a segment. */
  requests?: string[];
  /** What a request body may contain; a body outside it is refused whole. */
  write?: { resources?: Partial<Record<ZendeskResource, string>>; select?: string };
  zaf?: string[];
  redact?: {
    rules: Array<{
      path: string;
      detect: Detector[];
      action: 'remove' | 'label' | 'mask' | 'pseudonym';
    }>;
  };
  limits?: { max_depth?: number; max_input_bytes?: number };
}

export type FilterInput = string | Uint8Array | ArrayBuffer | ArrayBufferView;

/** A fetch Response, or a ReadableStream of byte chunks (Uint8Array or another ArrayBufferView). */
export type FilterStreamInput = Response | ReadableStream<ArrayBufferView>;

export interface FilterStreamOptions {
  /** Zero each chunk right after it is copied into wasm memory (default true; false for chunks someone else still reads). */
  wipeInput?: boolean;
}

/** What one call let through: counts and paths, never values. */
export interface Ledger {
  bytes_in: number;
  bytes_out: number;
  fields_kept: number;
  fields_dropped: number;
  kept_paths: Record<string, number>;
  /** Members removed, by their path (each once, whatever its subtree), and array elements removed, by the array's path (`tickets[].custom_fields[]`). Sums to fields_dropped. */
  dropped_paths: Record<string, number>;
  /** Personal data the policy's redaction rules rewrote in kept strings, by detector (`email`: 2). */
  redacted: Partial<Record<Detector, number>>;
  /** For an object input: top-level members no rule named (at most 64), e.g. a forgotten envelope. */
  unmatched: string[];
}

/** Every ledger of the session, aggregated; never values. */
export interface AccessReport extends Omit<Ledger, 'unmatched'> {
  calls: number;
  /** Kept and removed paths grouped by the Zendesk resource they came in (the core's table of envelopes). */
  by_resource: Record<string, { fields_kept: number; paths: Record<string, number>; fields_dropped: number; dropped_paths: Record<string, number> }>;
  /** Top-level members no rule named, with how many responses had them. */
  unmatched: Record<string, number>;
  zaf: { read: Record<string, number>; refused: Record<string, number> };
  /** Requests through the ZAF adapter by pattern (`PUT /api/v2/tickets/{id}.json`): made, and refused before sending. */
  requests: { made: Record<string, number>; refused: Record<string, number> };
}

export interface FilterOptions {
  /** Zero the caller's bytes right after they are copied into wasm memory. */
  wipeInput?: boolean;
}

export declare class CompiledPolicy {
  private constructor();
  /** The policy's `name`. */
  readonly name: string;
  /** The effective selection: resources expanded, normalised. */
  readonly selection: string;
  allowsZafPath(path: string): boolean;
  /** What the policy allows, as canonical JSON text (JCS): name, read, write, requests, zaf, redact, limits. */
  readonly declaration: string;
  /**
   * Throws 'request_not_allowed' unless `requests` lists the request, and 'write_not_allowed'
   * unless `body` (JSON text or UTF-8 bytes) lies entirely inside `write`.
   */
  checkRequest(method: string, url: string, body?: FilterInput): void;
  filter(input: FilterInput): string;
  /**
   * As JSON.parse(filter(input)), parsed where the output lies in wasm memory (in pieces
   * when it is large, so it never becomes one long string); integers beyond 2^53 are
   * strings of their exact digits.
   */
  filterParsed(input: FilterInput, options?: FilterOptions): unknown;
  /**
   * As filter, reading a Response body or a byte stream chunk by chunk straight into wasm
   * memory: the raw payload never exists whole outside it. Rejects with 'size_limit' at the
   * first byte over max_input_bytes (or on a Content-Length over it, before reading) and with
   * 'invalid_response' when the stream fails before its end; never a partial result.
   */
  filterStream(source: FilterStreamInput, options?: FilterStreamOptions): Promise<string>;
  /** As filterParsed, for a Response body or a byte stream (see filterStream). */
  filterParsedStream(source: FilterStreamInput, options?: FilterStreamOptions): Promise<unknown>;
  filterWithLedger(input: FilterInput, options?: FilterOptions): { output: string; ledger: Ledger };
  /** As filterWithLedger, plus the ledger as JSON text in first-seen path order. */
  filterWithLedgerText(input: FilterInput, options?: FilterOptions): { output: string; ledger: Ledger; ledgerText: string };
  dispose(): void;
}

/** The part of a ZAF client (ZAFClient.init()) the adapter uses. */
export interface ZafClient {
  get(paths: string | string[]): Promise<Record<string, unknown>>;
  request(options: string | Record<string, unknown>): Promise<unknown>;
}

/** A ZAF request's options, plus how the filtered response is handed back. */
export type ZafRequestOptions = Record<string, unknown> & {
  url: string;
  /** 'json' (default): parsed, integers past 2^53 as exact digit strings; 'text': the filtered JSON text. */
  leastdata?: { as?: 'json' | 'text' };
};

export interface ZafAdapter {
  /** Rejects with 'path_not_allowed' before anything is sent when the policy's zaf list does not allow a path. */
  get(paths: string | string[]): Promise<Record<string, unknown>>;
  /**
   * Rejects with 'request_not_allowed' or 'write_not_allowed' before anything is sent (data
   * must be JSON text); otherwise the response comes back filtered through the policy.
   */
  request(options: ZafRequestOptions & { leastdata: { as: 'text' } }): Promise<string>;
  request(options: string | ZafRequestOptions): Promise<unknown>;
}

export type Detector = 'email' | 'phone' | 'credit_card' | 'iban' | 'ip' | 'url_secret' | 'jwt';

export interface RedactOptions {
  /** 'all' (default), a comma-separated list, or an array of detectors. */
  detect?: 'all' | string | Detector[];
  /** Default 'mask'. 'pseudonym' needs setPseudonymKey first. */
  action?: 'remove' | 'label' | 'mask' | 'pseudonym';
}

/** A finding, offsets in UTF-16 code units of the input string (end exclusive). */
export interface Finding {
  type: Detector;
  start: number;
  end: number;
}

/** The summary of a verified deletion certificate. */
export interface VerifiedCertificate {
  valid: true;
  certificate_id: string;
  subdomain: string;
  trigger: 'customer_request' | 'retention_inactive_30d';
  requested_at: string;
  completed_at: string;
  deleted: Record<string, number>;
  method: string;
  storage_region: string;
  issuer: string;
  key_id: string;
}

export interface KeySet {
  keys: Array<{ kty: 'OKP'; crv: 'Ed25519'; kid: string; x: string }>;
}

/** A policy as the endpoint keeps it: PUT /v1/access/policies/{app}. */
export interface DeclaredPolicy {
  app: string;
  /** "sha256:" and the hex SHA-256 of the canonical declaration. */
  policy_hash: string;
  first_declared: string;
  last_declared: string;
  delete_after: string;
}

/** What an app accessed since its previous report: counts and names, never values. */
export interface AccessDelta {
  calls?: number;
  bytes_in?: number;
  bytes_out?: number;
  fields_kept?: number;
  fields_dropped?: number;
  /** Ledger paths (tickets[].id) and how many values each kept. */
  kept_paths?: Record<string, number>;
  /** Request patterns the policy refused (PUT /api/v2/tickets/{id}.json). */
  refused_requests?: Record<string, number>;
  zaf_read?: Record<string, number>;
  zaf_refused?: Record<string, number>;
}

/** What an app's copies reported over one day, or summed over the days kept. */
export interface ObservedAccess extends Required<AccessDelta> {
  /** Posts merged. */
  reports: number;
  /** Posts per policy hash they named. */
  policy_hashes: Record<string, number>;
}

/** The report's `access` section: declared next to observed, per app. */
export interface AccessReportSection {
  declared: Array<DeclaredPolicy & { declaration: Record<string, unknown> }>;
  observed: Array<ObservedAccess & { app: string; day: string; delete_after: string }>;
  apps: Array<{
    app: string;
    declared_policy_hashes: string[];
    /** Hashes reports named that no declaration of the last 30 days has. */
    undeclared_policy_hashes: string[];
    days_observed: number;
    observed: ObservedAccess;
  }>;
}

export type EndpointOptions =
  | { baseUrl: string; zaf: ZafClient; secretSetting?: string; audience?: string }
  | { baseUrl: string; token: () => Promise<string>; fetch?: typeof fetch };

/** Errors from the endpoint are LeastDataError with its code (e.g. 'version_conflict') and the HTTP status. */
export declare class EndpointClient {
  private constructor();
  /**
   * Signs the user in with Zendesk (OAuth consent in a popup; call it from a click). The
   * session credential stays in this object's memory. Resolves with the user Zendesk names.
   */
  signIn(options?: { open?: (url: string) => Window | null }): Promise<{ id: string; email: string | null; role: 'admin' | 'agent' }>;
  signOut(): Promise<void>;
  readonly signedIn: boolean;
  /** The signed-in user, as Zendesk said at sign-in. */
  readonly agent?: { id: string; email: string | null; role: 'admin' | 'agent' };
  registerAgent(): Promise<unknown>;
  getSettings(app: string): Promise<Record<string, unknown>>;
  putSettings(app: string, settings: Record<string, unknown>, options?: { ifMatch?: string }): Promise<unknown>;
  getToken(name: string): Promise<{ value: string; expires_at?: string }>;
  putToken(name: string, value: string, options?: { expiresAt?: string }): Promise<unknown>;
  deleteToken(name: string): Promise<unknown>;
  getSharedToken(name: string): Promise<{ value: string; expires_at?: string }>;
  putSharedToken(name: string, value: string): Promise<unknown>;
  addStats(app: string, counters: Record<string, number>): Promise<unknown>;
  getStats(app: string): Promise<unknown>;
  /** Throws 'personal_data' before sending unless `ids` holds only positive integer IDs. */
  createJob(kind: string, ids: JobIds, options?: { cursor?: string }): Promise<EndpointJob>;
  getJob(id: string): Promise<EndpointJob>;
  updateJob(id: string, update: { ids?: JobIds; cursor?: string | null }): Promise<EndpointJob>;
  completeJob(id: string): Promise<{ id: string; status: 'completed'; deleted: true }>;
  stopJob(id: string): Promise<EndpointJob>;
  /** Declares the policy this copy of the app runs (any signed-in user). */
  declarePolicy(app: string, policy: PolicyDocument | Record<string, unknown> | string): Promise<DeclaredPolicy>;
  /** Throws 'personal_data' before sending when a name looks like personal data (wasm detectors). */
  reportAccess(app: string, delta: AccessDelta, options?: { policyHash?: string }): Promise<{ app: string; day: string; delete_after: string }>;
  report(): Promise<Record<string, unknown> & { access: AccessReportSection }>;
  requestDeletion(subdomain: string): Promise<Record<string, unknown>>;
  deactivate(): Promise<unknown>;
  keys(): Promise<KeySet>;
}

/** The IDs a job keeps at the endpoint: bare positive integers (or their digits), nothing else. */
export type JobIds = Partial<Record<'ticket' | 'user' | 'organization', Array<number | string>>>;

/** A job as the endpoint keeps it (DESIGN §7 jobs). */
export interface EndpointJob {
  id: string;
  kind: string;
  status: 'running' | 'stopped';
  ids: Record<'ticket' | 'user' | 'organization', Array<number | string>>;
  cursor: string | null;
  created_at: string;
  updated_at: string;
  stopped_at: string | null;
  delete_at: string;
}

export interface JobsOptions {
  endpoint: EndpointClient;
  /** 1–60 characters of a-z, 0-9, _ and -; the endpoint keeps the job under this kind (and `<kind>.ids`). */
  kind: string;
  /** Item IDs per endpoint job, 1 to 10,000 (the endpoint's limit per job, and the default). */
  segmentSize?: number;
}

export type JobStatus =
  | 'collecting' | 'ready' | 'running' | 'paused' | 'stopping' | 'stopped'
  | 'completed' | 'discarded' | 'interrupted' | 'failed';

/** Where a job is; what onProgress() hears. */
export interface JobProgress {
  id: string;
  kind: string;
  status: JobStatus;
  items: 'ticket' | 'user' | 'organization';
  /** IDs found so far (the collect stage), then the total. */
  collected: number;
  /** Items to process; null while collecting. */
  total: number | null;
  /** Items done, the batch running included. */
  done: number;
  /** Items done and saved at the endpoint: a resume goes on from here. */
  saved: number;
  /** Items per second over the last 30 s while running, else 0. */
  rate: number;
  secondsLeft: number | null;
  /** What the job waits for: Zendesk's Retry-After, a Zendesk server error, or the endpoint. */
  waiting: { reason: 'rate_limited' | 'zendesk_unavailable' | 'endpoint_unavailable'; until: string } | null;
  error: { code: string; message: string } | null;
  /** When the endpoint deletes a stopped job's IDs (RFC 3339). */
  deleteAt: string | null;
}

export interface JobStepContext {
  /** A Zendesk request through run()'s adapter: 429 waits for Retry-After, server errors are retried. */
  request(options: ZafRequestOptions): Promise<any>;
  /** Aborts when the job is paused or stopped. */
  signal: AbortSignal;
}

export interface JobRunOptions {
  /** Processes one item; must be idempotent (an item after the last saved batch may run again). */
  step: (id: number | string, context: JobStepContext) => Promise<void>;
  /** The adapter context.request() uses. */
  zaf?: ZafAdapter;
  /** Items between two saves of the progress: 1–1000, default 100. */
  batchSize?: number;
  /** Items processed at a time: 1–16, default 4. */
  concurrency?: number;
}

export declare class Job {
  private constructor();
  readonly id: string;
  readonly kind: string;
  /** The IDs the job is about (its root job's ids without empty categories). */
  readonly subjects: JobIds;
  progress(): JobProgress;
  /** Hears every change; returns the function that stops listening. */
  onProgress(listener: (progress: JobProgress) => void): () => void;
  /** Pages through `url` (search export, incremental export, list) with an adapter whose policy keeps only IDs, and stores them. */
  collect(options: { zaf: ZafAdapter; url: string }): Promise<JobProgress>;
  /** Processes the items in batches, saving the progress after each; completes the job after the last. */
  run(options: JobRunOptions): Promise<JobProgress>;
  /** Stops after the items running now and saves the progress; run() goes on. */
  pause(): Promise<JobProgress>;
  /** Stops for good: the endpoint deletes the job's IDs 7 days later (progress().deleteAt). */
  stop(): Promise<JobProgress>;
  /** Deletes the job at the endpoint now (an interrupted collect, a stopped job). */
  discard(): Promise<JobProgress>;
}

export declare class Jobs {
  private constructor();
  /** Starts a job at the endpoint, in status 'collecting'. Throws 'personal_data' for subjects that are not bare IDs. */
  create(options?: { subjects?: JobIds; items?: 'ticket' | 'user' | 'organization' }): Promise<Job>;
  /** The job as the endpoint keeps it: 'paused' (run it), 'stopped' or 'interrupted'. */
  resume(id: string): Promise<Job>;
  /** This kind's jobs at the endpoint (from its report: admins only), oldest first. */
  list(): Promise<Array<{ id: string; status: 'running' | 'stopped'; created_at: string; updated_at: string; retained_until: string }>>;
}

export declare class LeastData {
  private constructor();
  /** Throws LeastDataError 'invalid_policy'. */
  compile(policy: PolicyDocument | string): CompiledPolicy;
  /** Finds personal data in `text` and rewrites it. */
  redact(text: string, options?: RedactOptions): { text: string; findings: Finding[] };
  /** The redaction detectors' names, from the core's table (what `detect` may name). */
  readonly detectors: readonly Detector[];
  /** The Zendesk resources (DESIGN §2.2), from the core's table: envelope member → resource, and the pagination members. */
  readonly resources: { members: Record<string, string>; pagination: string[] };
  /** The key of the pseudonym action (≥ 16 bytes): kept in wasm memory only, never readable back; the caller's bytes are zeroed unless wipeInput is false. */
  setPseudonymKey(key: Uint8Array, options?: FilterOptions): void;
  /** Wipes the secrets held in wasm memory. */
  clear(): void;
  /** Verifies a deletion certificate (Ed25519 over JCS) in wasm; throws 'invalid_certificate'. */
  verifyCertificate(certificate: string | Record<string, unknown>, keys: string | KeySet): VerifiedCertificate;
  /** A client of the leastdata endpoint, pinned to `baseUrl`'s origin. */
  endpoint(options: EndpointOptions): EndpointClient;
  /** Multi-stage jobs of one kind, kept at the endpoint as bare IDs (docs/jobs.md). */
  jobs(options: JobsOptions): Jobs;
  /** Wraps a ZAF client so the app reads only what `policy` allows (docs/zaf.md). */
  zaf(client: ZafClient, policy: CompiledPolicy): ZafAdapter;
  accessReport(): AccessReport;
  /** The module's memory, for audits. */
  readonly wasmMemory: WebAssembly.Memory;
  /** Ceilings the core enforces whatever a policy asks. */
  readonly limits: { maxDepthCeiling: number; maxInputBytesCeiling: number };
  /** Frees every policy and zeroes the module's memory. */
  dispose(): void;
}
