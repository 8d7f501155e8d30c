// Ververica Platform (VVP) deployments as code: the deployment model shared by the Pulumi provider, the cdk8s constructs, the VvpDeployment CRD and the operator.
package vvp
