/**
 * vvp-iac for Pulumi through the operator: `import { VvpDeploymentCR } from 'vvp-iac/pulumi-kubernetes'`. The only
 * entry point that needs the optional peer `@pulumi/kubernetes` (its typings import it); `vvp-iac/pulumi` does not.
 */
export * from '../pulumi/vvp-deployment-cr';
