// One VVP deployment through the native vvp provider (vvp:index:Deployment), driven by stack config:
//
//	pulumi config set vvp:baseUrl http://127.0.0.1:8080        (or export VVP_URL)
//	pulumi config set --secret vvp:apiToken <token>            (optional)
//	pulumi up                                                  # creates it CANCELLED
//	pulumi config set parallelism 2 && pulumi preview          # shows only ~ parallelism: 1 => 2
//	pulumi config set state RUNNING && pulumi up
//	pulumi config set savepointNonce 1 && pulumi up            # one savepoint
//	pulumi destroy                                             # deletionPolicy decides (here: cancel)
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"example.invalid/vvp-iac/sdks/go/vvp"
)

func or(value, fallback string) string {
	if value == "" {
		return fallback
	}
	return value
}

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		parallelism := cfg.GetInt("parallelism")
		if parallelism == 0 {
			parallelism = 1
		}
		args := &vvp.DeploymentArgs{
			SyncingMode: vvp.SyncingModePATCH,
			Deployment: vvp.DeploymentDefinitionArgs{
				Metadata: vvp.DeploymentMetadataArgs{
					Name:      pulumi.String(or(cfg.Get("deploymentName"), "orders")),
					Namespace: pulumi.String("default"),
					Labels:    pulumi.StringMap{"team": pulumi.String("data")},
				},
				Spec: vvp.DeploymentSpecArgs{
					State:                vvp.DesiredState(or(cfg.Get("state"), "CANCELLED")),
					DeploymentTargetName: pulumi.String("default"),
					Template: vvp.DeploymentTemplateArgs{
						Spec: vvp.TemplateSpecArgs{
							Artifact: vvp.ArtifactArgs{
								Kind:   vvp.ArtifactKindJAR,
								JarUri: pulumi.String("s3://artifacts/orders-job.jar"),
							},
							Parallelism: pulumi.Int(parallelism),
						},
					},
				},
			},
			WaitFor: vvp.WaitForArgs{
				State:          pulumi.Bool(true),
				Savepoint:      pulumi.Bool(true),
				TimeoutSeconds: pulumi.Int(120),
			},
			DeletionPolicy: vvp.DeletionPolicy(or(cfg.Get("deletionPolicy"), "cancel")),
		}
		if nonce, err := cfg.TryInt("savepointNonce"); err == nil {
			args.SavepointNonce = pulumi.Int(nonce)
		}
		var opts []pulumi.ResourceOption
		if id := cfg.Get("importId"); id != "" {
			opts = append(opts, pulumi.Import(pulumi.ID(id)))
		}
		orders, err := vvp.NewDeployment(ctx, "orders", args, opts...)
		if err != nil {
			return err
		}
		ctx.Export("deploymentId", orders.DeploymentId)
		ctx.Export("actualState", orders.ActualState)
		ctx.Export("lastSavepoint", orders.LastSavepoint)
		return nil
	})
}
