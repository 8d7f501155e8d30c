/** The e2e test harness: real etcd + kube-apiserver (+ controller manager), the pulumi CLI, TLS helpers. */
export * from './certs';
export * from './kube';
export * from './proc';
export * from './pulumi';
export * from './tools';
