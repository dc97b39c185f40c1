// A copy of the app telling the endpoint what it is and what it did (docs/endpoint.md,
// "Access transparency"): it declares the policy it runs, then reports what its session
// read since the previous report. The admin's page shows both, declared beside observed.
// Both calls need a signed-in user (the endpoint learns who from Zendesk).
import { NOTHING_REPORTED, accessDelta, isEmptyDelta, reportedCounts } from './access-delta.js';

/**
 * @param {{ accessReport(): any }} ld
 * @param {{ declarePolicy: Function, reportAccess: Function }} ep a signed-in endpoint client
 * @param {{ app: string, policy: object }} what the app's name and the policy document it compiled
 */
export function accessSharing(ld, ep, { app, policy }) {
  let declared;
  let reported = NOTHING_REPORTED;
  let queue = Promise.resolve();

  async function shareOnce() {
    declared ??= await ep.declarePolicy(app, policy);
    const now = reportedCounts(ld.accessReport());
    const delta = accessDelta(reported, now);
    if (!isEmptyDelta(delta)) await ep.reportAccess(app, delta, { policyHash: declared.policy_hash });
    reported = now;
    return { declared, delta };
  }

  return {
    /** Declares (once) and reports what is new since the last report; calls run one at a time. */
    share() {
      const next = queue.then(shareOnce);
      queue = next.catch(() => {});
      return next;
    },
  };
}
