/** examples/pulumi-platform/dynamic (vvp-iac/pulumi, no plugin) against the emulator's strict profiles vvp-2.4 and vvp-3. */
import { PLATFORM_PROFILES, describePlatformExample } from './platform-scenario';

for (const profile of PLATFORM_PROFILES) describePlatformExample('dynamic', profile);
