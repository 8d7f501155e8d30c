"""One VVP deployment through the native vvp provider (vvp:index:Deployment), driven by stack config:

    pulumi config set vvp:baseUrl http://127.0.0.1:8080        (or export VVP_URL)
    pulumi config set --secret vvp:apiToken <token>            (optional)
    pulumi up                                                  # creates it CANCELLED
    pulumi config set parallelism 2 && pulumi preview          # shows only ~ parallelism: 1 => 2
    pulumi config set state RUNNING && pulumi up
    pulumi config set savepointNonce 1 && pulumi up            # one savepoint
    pulumi import vvp:index:Deployment legacy default/legacy --generate-code=false
    pulumi destroy                                             # deletionPolicy decides (here: cancel)
"""
import pulumi
import pulumi_vvp as vvp

config = pulumi.Config()

orders = vvp.Deployment(
    "orders",
    syncing_mode=vvp.SyncingMode.PATCH,
    deployment={
        "metadata": {
            "name": config.get("deploymentName") or "orders",
            "namespace": "default",
            "labels": {"team": "data"},
        },
        "spec": {
            "state": config.get("state") or "CANCELLED",
            "deployment_target_name": "default",
            "template": {
                "spec": {
                    "artifact": {"kind": vvp.ArtifactKind.JAR, "jar_uri": "s3://artifacts/orders-job.jar"},
                    "parallelism": config.get_int("parallelism") or 1,
                },
            },
        },
    },
    savepoint_nonce=config.get_int("savepointNonce"),
    wait_for={"state": True, "savepoint": True, "timeout_seconds": 120},
    deletion_policy=config.get("deletionPolicy") or "cancel",
    opts=pulumi.ResourceOptions(import_=config.get("importId") or None),
)

pulumi.export("deploymentId", orders.deployment_id)
pulumi.export("actualState", orders.actual_state)
pulumi.export("lastSavepoint", orders.last_savepoint)
