// How a load-test request proves who sends it, per the blueprint's `api.authorization`: SigV4 for
// IAM (signed by @smithy/signature-v4, the SDK's own signer), the x-api-key header for a usage plan,
// nothing for an open API. The local target checks the same proofs, so every local run also
// exercises the signing that a run against AWS relies on.
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity, Provider } from "@smithy/types";
import type { ResolvedBlueprint } from "../../config/model";

export type Authorization = ResolvedBlueprint["api"]["authorization"];

/** Credentials the local target accepts; they open nothing anywhere else. */
export const LOCAL_CREDENTIALS: AwsCredentialIdentity = {
  accessKeyId: "AKIALOCALLOADTEST000",
  secretAccessKey: "local-load-test-secret-not-an-aws-key",
};
export const LOCAL_API_KEY = "local-load-test-api-key-0000000000000000";

export interface Caller {
  authorization: Authorization;
  region: string;
  credentials?: AwsCredentialIdentity | Provider<AwsCredentialIdentity>;
  apiKey?: string;
}

export interface HttpCall {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

function signer(
  region: string,
  credentials: AwsCredentialIdentity | Provider<AwsCredentialIdentity>,
): SignatureV4 {
  return new SignatureV4({ service: "execute-api", region, credentials, sha256: Sha256 });
}

/** The call with the headers its authorization needs (host included when signed). */
export async function authorize(caller: Caller, call: HttpCall): Promise<HttpCall> {
  if (caller.authorization === "none") return call;
  if (caller.authorization === "api-key") {
    return { ...call, headers: { ...call.headers, "x-api-key": caller.apiKey ?? "" } };
  }
  const signed = await signer(caller.region, caller.credentials ?? LOCAL_CREDENTIALS).sign({
    method: call.method,
    protocol: call.url.protocol,
    hostname: call.url.hostname,
    port: call.url.port === "" ? undefined : Number(call.url.port),
    path: call.url.pathname,
    query: {},
    headers: { ...call.headers, host: call.url.host },
    body: call.body,
  });
  return { ...call, headers: signed.headers as Record<string, string> };
}

/**
 * Whether a received request carries a valid SigV4 signature by `credentials`: the request is
 * signed again with the headers and date it names, and the signatures must match.
 */
export async function hasValidSignature(
  request: {
    method: string;
    path: string;
    headers: Record<string, string | undefined>;
    body: string;
  },
  region: string,
  credentials: AwsCredentialIdentity,
): Promise<boolean> {
  const auth = request.headers.authorization ?? "";
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/([^/]+)\/execute-api\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  const date = request.headers["x-amz-date"] ?? "";
  const d = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
  if (!m || !d || m[1] !== credentials.accessKeyId || m[2] !== region) return false;
  const headers: Record<string, string> = {};
  for (const name of m[3].split(";")) {
    const value = request.headers[name];
    if (value === undefined) return false;
    headers[name] = value;
  }
  const [host, port] = (headers.host ?? "").split(":");
  const again = await signer(region, credentials).sign(
    {
      method: request.method,
      protocol: "http:",
      hostname: host,
      port: port ? Number(port) : undefined,
      path: request.path,
      query: {},
      headers,
      body: request.body,
    },
    { signingDate: new Date(`${d[1]}-${d[2]}-${d[3]}T${d[4]}:${d[5]}:${d[6]}Z`) },
  );
  return (again.headers as Record<string, string>).authorization === auth;
}
