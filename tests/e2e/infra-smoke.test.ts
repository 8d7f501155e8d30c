/**
 * Smoke test of the real e2e toolchain: etcd + kube-apiserver + kubectl, an admission webhook the
 * apiserver calls over TLS on 127.0.0.1, and the pulumi CLI running a dynamic-provider program.
 * The binaries come from scripts/tools.sh (set VVP_IAC_TOOLS_DIR to skip the lookup).
 */
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeServingCert } from '../harness/certs';
import { Kube, startKube } from '../harness/kube';
import { freePort, waitFor } from '../harness/proc';
import { createPulumi, Pulumi } from '../harness/pulumi';
import { REPO_ROOT, toolsBinDir } from '../harness/tools';

const GROUP = 'smoke.vvp-iac.test';

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `widgets.${GROUP}` },
  spec: {
    group: GROUP,
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['size'],
                properties: { size: { type: 'integer', minimum: 0 }, colour: { type: 'string' } },
              },
              status: { type: 'object', properties: { phase: { type: 'string' } } },
            },
          },
        },
      },
    ],
  },
};

function widget(name: string, size: number, colour = 'blue') {
  return JSON.stringify({
    apiVersion: `${GROUP}/v1`,
    kind: 'Widget',
    metadata: { name, namespace: 'default' },
    spec: { size, colour },
  });
}

describe('e2e toolchain smoke test', () => {
  let kube: Kube;
  const viewerToken = `viewer-${process.pid}-${Date.now()}`;

  beforeAll(async () => {
    toolsBinDir(); // may build the tools on a cold machine
    kube = await startKube({ users: [{ token: viewerToken, user: 'viewer', groups: ['smoke:viewers'] }] });
  }, 60 * 60_000);

  afterAll(async () => {
    await kube?.stop();
  }, 60_000);

  test('kube-apiserver reports the pinned version and kubectl matches it', async () => {
    const v = await kube.kubectlJson<{ clientVersion: { gitVersion: string }; serverVersion: { gitVersion: string } }>([
      'version',
    ]);
    expect(v.serverVersion.gitVersion).toMatch(/^v1\.\d+\.\d+$/);
    expect(v.clientVersion.gitVersion).toBe(v.serverVersion.gitVersion);
  });

  test('a CRD applied with kubectl serves custom resources that can be created and read back', async () => {
    await kube.kubectl(['apply', '-f', '-'], { input: JSON.stringify(crd) });
    await kube.kubectl(['wait', '--for=condition=Established', `crd/widgets.${GROUP}`, '--timeout=60s']);
    await waitFor(
      'widgets to be served',
      async () => (await kube.kubectl(['get', 'widgets'], { allowFailure: true })).code === 0,
      {
        timeoutMs: 30_000,
      },
    );

    await kube.kubectl(['apply', '-f', '-'], { input: widget('first', 3, 'green') });
    const got = await kube.kubectlJson(['get', 'widget', 'first']);
    expect(got.spec).toEqual({ size: 3, colour: 'green' });
    await kube.kubectl(['wait', '--for=jsonpath={.spec.colour}=green', 'widget/first', '--timeout=10s']);

    // Status subresource + schema validation come from the real apiserver.
    await kube.kubectl([
      'patch',
      'widget',
      'first',
      '--subresource=status',
      '--type=merge',
      '-p',
      '{"status":{"phase":"Ready"}}',
    ]);
    await kube.kubectl(['wait', '--for=jsonpath={.status.phase}=Ready', 'widget/first', '--timeout=10s']);
    const invalid = await kube.kubectl(['apply', '-f', '-'], { input: widget('negative', -1), allowFailure: true });
    expect(invalid.code).not.toBe(0);
    expect(invalid.stderr).toMatch(/spec\.size/);
  });

  test('RBAC is enforced: a token user without bindings is forbidden', async () => {
    const res = await kube.kubectl(['get', 'widgets'], { token: viewerToken, allowFailure: true });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/forbidden/i);
    expect(res.stderr).toContain('User "viewer"');
  });

  test('kube-controller-manager garbage-collects dependents and finishes namespace deletion', async () => {
    await kube.kubectl(['create', 'namespace', 'smoke-ns']);
    await kube.kubectl(['create', 'configmap', 'parent', '-n', 'smoke-ns', '--from-literal=a=b']);
    const parent = await kube.kubectlJson(['get', 'configmap', 'parent', '-n', 'smoke-ns']);
    const child = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'child',
        namespace: 'smoke-ns',
        ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'parent', uid: parent.metadata.uid }],
      },
    };
    await kube.kubectl(['apply', '-f', '-'], { input: JSON.stringify(child) });
    await kube.kubectl([
      'delete',
      'configmap',
      'parent',
      '-n',
      'smoke-ns',
      '--cascade=foreground',
      '--wait=true',
      '--timeout=60s',
    ]);
    await kube.kubectl(['wait', '--for=delete', 'configmap/child', '-n', 'smoke-ns', '--timeout=60s']);
    await kube.kubectl(['delete', 'namespace', 'smoke-ns', '--wait=true', '--timeout=90s']);
    expect((await kube.kubectl(['get', 'namespace', 'smoke-ns'], { allowFailure: true })).stderr).toMatch(/NotFound/);
  }, 120_000);

  describe('validating webhook on https://127.0.0.1', () => {
    let server: https.Server;
    const seen: { operation: string; name: string; allowed: boolean }[] = [];

    beforeAll(async () => {
      const cert = makeServingCert();
      const port = await freePort();
      server = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
        let body = '';
        req.on('data', (d: Buffer) => (body += d.toString('utf8')));
        req.on('end', () => {
          const review = JSON.parse(body);
          const obj = review.request.object ?? review.request.oldObject ?? {};
          const allowed = !(obj.spec?.size > 100);
          seen.push({ operation: review.request.operation, name: obj.metadata?.name, allowed });
          res.setHeader('Content-Type', 'application/json');
          res.end(
            JSON.stringify({
              apiVersion: 'admission.k8s.io/v1',
              kind: 'AdmissionReview',
              response: {
                uid: review.request.uid,
                allowed,
                ...(allowed
                  ? {}
                  : { status: { code: 422, message: `smoke-webhook: size ${obj.spec?.size} is over 100` } }),
              },
            }),
          );
        });
      });
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      const config = {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingWebhookConfiguration',
        metadata: { name: 'smoke-widgets' },
        webhooks: [
          {
            name: `widgets.${GROUP}`,
            clientConfig: { url: `https://127.0.0.1:${port}/validate`, caBundle: cert.caBundle },
            rules: [
              {
                apiGroups: [GROUP],
                apiVersions: ['*'],
                operations: ['CREATE', 'UPDATE'],
                resources: ['widgets'],
                scope: 'Namespaced',
              },
            ],
            admissionReviewVersions: ['v1'],
            sideEffects: 'None',
            failurePolicy: 'Fail',
            timeoutSeconds: 10,
          },
        ],
      };
      await kube.kubectl(['apply', '-f', '-'], { input: JSON.stringify(config) });
      fs.rmSync(cert.dir, { recursive: true, force: true });
    }, 60_000);

    afterAll(async () => {
      await kube?.kubectl(['delete', 'validatingwebhookconfiguration', 'smoke-widgets', '--ignore-not-found']);
      await new Promise((r) => (server ? server.close(r) : r(undefined)));
    }, 30_000);

    test('the apiserver calls the webhook and kubectl reports its rejection', async () => {
      // The apiserver picks up new webhook configurations asynchronously: retry with fresh names.
      let attempt = 0;
      const rejected = await waitFor(
        'the webhook to reject an oversized widget',
        async () => {
          const res = await kube.kubectl(['create', '-f', '-'], {
            input: widget(`too-big-${attempt++}`, 1000),
            allowFailure: true,
          });
          return res.code !== 0 && res.stderr.includes('smoke-webhook') ? res : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 500 },
      );
      expect(rejected.stderr).toMatch(/admission webhook "widgets\.smoke\.vvp-iac\.test" denied the request/);
      expect(rejected.stderr).toContain('smoke-webhook: size 1000 is over 100');
      expect(seen.some((s) => s.operation === 'CREATE' && !s.allowed)).toBe(true);

      // An acceptable object passes through the same webhook.
      const before = seen.length;
      await kube.kubectl(['create', '-f', '-'], { input: widget('small', 5) });
      expect(seen.slice(before)).toContainEqual({ operation: 'CREATE', name: 'small', allowed: true });
      expect((await kube.kubectlJson(['get', 'widget', 'small'])).spec.size).toBe(5);
    });
  });

  describe('pulumi CLI with a dynamic provider', () => {
    let pulumi: Pulumi;
    let outDir: string;

    beforeAll(async () => {
      pulumi = await createPulumi();
      outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vvp-smoke-out-'));
    });

    afterAll(async () => {
      await pulumi?.cleanup();
      if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
    });

    test(
      'pulumi up, preview, update, refresh and destroy a pulumi.dynamic.Resource',
      async () => {
        const version = await pulumi.run(['version']);
        expect(version.stdout.trim()).toMatch(/^v3\.\d+\.\d+$/);

        const secret = `s3cr3t-${Date.now()}`;
        const stack = await pulumi.stack(path.join(REPO_ROOT, 'tests/fixtures/pulumi-dynamic'), 'smoke');
        await stack.setAllConfig({ greeting: 'Hello', outDir, token: { value: secret, secret: true } });

        await stack.up();
        const marker = path.join(outDir, 'world.txt');
        expect(fs.readFileSync(marker, 'utf8')).toBe('Hello, world!');
        const outputs = await stack.outputs();
        expect(outputs).toMatchObject({
          message: 'Hello, world!',
          resourceId: 'greeting-world',
          tokenLength: secret.length,
          token: secret,
        });

        // The secret is encrypted in the state file (as is the config in Pulumi.smoke.yaml).
        const raw = stack.rawState();
        expect(raw).toContain('greeting-world');
        expect(raw).not.toContain(secret);
        expect(fs.readFileSync(path.join(stack.programDir, 'Pulumi.smoke.yaml'), 'utf8')).not.toContain(secret);

        await stack.preview({ args: ['--expect-no-changes'] });

        await stack.setConfig('greeting', 'Goodbye');
        const up2 = await stack.up();
        expect(up2.stdout).toMatch(/1 updated/);
        expect(fs.readFileSync(marker, 'utf8')).toBe('Goodbye, world!');
        expect((await stack.outputs()).message).toBe('Goodbye, world!');

        await stack.refresh();
        await stack.destroy();
        expect(fs.existsSync(marker)).toBe(false);
        expect(await stack.outputs()).toEqual({});
        await stack.remove();
      },
      10 * 60_000,
    );

    // Needs `bash scripts/tools.sh --with-kubernetes-provider` (the test command builds it).
    test(
      'a @pulumi/kubernetes program creates and deletes objects in the real apiserver',
      async () => {
        // Generated here (git-ignored .pulumi-test/) so the node resolution still reaches node_modules.
        const root = path.join(REPO_ROOT, '.pulumi-test');
        fs.mkdirSync(root, { recursive: true });
        const dir = fs.mkdtempSync(path.join(root, 'k8s-'));
        try {
          fs.writeFileSync(
            path.join(dir, 'Pulumi.yaml'),
            'name: vvp-iac-smoke-k8s\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n',
          );
          fs.writeFileSync(
            path.join(dir, 'index.js'),
            [
              "const fs = require('fs');",
              "const pulumi = require('@pulumi/pulumi');",
              "const k8s = require('@pulumi/kubernetes');",
              'const cfg = new pulumi.Config();',
              "const provider = new k8s.Provider('local', { kubeconfig: fs.readFileSync(cfg.require('kubeconfigPath'), 'utf8') });",
              "const cm = new k8s.core.v1.ConfigMap('smoke', { metadata: { name: 'smoke-cm', namespace: 'default' }, data: { hello: 'world' } }, { provider });",
              `const w = new k8s.apiextensions.CustomResource('pulumi-widget', { apiVersion: '${GROUP}/v1', kind: 'Widget',`,
              "  metadata: { name: 'from-pulumi', namespace: 'default' }, spec: { size: 7, colour: 'red' } }, { provider });",
              'exports.configMap = cm.metadata.name;',
              'exports.widget = w.metadata.name;',
            ].join('\n') + '\n',
          );
          const stack = await pulumi.stack(dir, 'k8s', { inPlace: true });
          await stack.setConfig('kubeconfigPath', kube.kubeconfig);
          await stack.up();
          expect(await stack.outputs()).toEqual({ configMap: 'smoke-cm', widget: 'from-pulumi' });
          expect((await kube.kubectlJson(['get', 'configmap', 'smoke-cm'])).data).toEqual({ hello: 'world' });
          expect((await kube.kubectlJson(['get', 'widget', 'from-pulumi'])).spec).toEqual({ size: 7, colour: 'red' });
          await stack.destroy();
          const gone = await kube.kubectl(['get', 'configmap', 'smoke-cm'], { allowFailure: true });
          expect(gone.stderr).toMatch(/NotFound/);
          await stack.remove();
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
      10 * 60_000,
    );
  });
});
