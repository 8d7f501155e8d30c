/** examples/pulumi-platform/typescript (native provider) against the emulator's strict profiles vvp-2.4 and vvp-3. */
import { PLATFORM_PROFILES, describePlatformExample } from './platform-scenario';

for (const profile of PLATFORM_PROFILES) describePlatformExample('typescript', profile);
