/**
 * Autopilot (ADR 0010): policies per deployment, their status, and the ACTIVE behaviour of each profile.
 */
import type { PlatformState } from './state';

/** The emulated platform versions (CONTRACT: one table in profiles.ts; until it lands, read here once). */
export type ProfileName = 'vvp-2.4' | 'vvp-3' | 'lenient';

/** The profile of the running emulator: the ONE place the new resources read it (ADR 0010). */
export function profileOf(s: PlatformState): ProfileName {
  return (s as { profile?: ProfileName }).profile ?? 'vvp-3';
}
