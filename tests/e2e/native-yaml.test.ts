/** examples/native-yaml (Pulumi YAML, pulumi-language-yaml built by scripts/native-tools.sh) under the real CLI. */
import { describeNativeExample } from './native-scenario';

// the YAML host generates code: `pulumi import` runs as a user would run it
describeNativeExample('native-yaml', { generatesCode: true });
