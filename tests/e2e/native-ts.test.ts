/** examples/native-ts (TypeScript, the generated nodejs SDK as `vvp-iac/native`) under the real pulumi CLI. */
import { describeNativeExample } from './native-scenario';

// the Node.js language host implements no GenerateProgram: `pulumi import` runs with --generate-code=false
describeNativeExample('native-ts', { generatesCode: false });
