/**
 * TLS between cluster processes (JobManager RPC, TaskManager control connections, data
 * connections between slots), always with mutual authentication: each side presents a certificate
 * and accepts only peers whose certificate chains to the cluster's CA. As Flink's internal SSL
 * suggests, the CA can be one dedicated self-signed certificate shared by every process: then
 * holding it is what admits a process to the cluster, and host names are not checked (pods and
 * machines come and go; the trust anchor is the CA, not DNS).
 *
 * Example: `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 365
 * -subj /CN=weir-internal -keyout key.pem -out cert.pem`, then cert = ca = cert.pem, key = key.pem.
 * @module
 */

import type { ConnectionOptions, TlsOptions } from "node:tls";

/** PEM texts (not paths: they travel to slot threads as data). */
export interface ClusterTls {
  readonly cert: string;
  readonly key: string;
  readonly ca: string;
}

export function tlsServerOptions(tls: ClusterTls): TlsOptions {
  return {
    cert: tls.cert,
    key: tls.key,
    ca: tls.ca,
    requestCert: true,
    rejectUnauthorized: true,
    minVersion: "TLSv1.3",
  };
}

export function tlsClientOptions(tls: ClusterTls): ConnectionOptions {
  return {
    cert: tls.cert,
    key: tls.key,
    ca: tls.ca,
    rejectUnauthorized: true,
    minVersion: "TLSv1.3",
    // The peer is authenticated by the cluster CA, not by its host name (see the module comment).
    checkServerIdentity: () => undefined,
  };
}
