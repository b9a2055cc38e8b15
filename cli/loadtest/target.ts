// Where a run may send traffic. A deployed stage is named by its invoke URL (`terraform output -raw
// api_url` of the team stack); the URL must end in the environment's own stage, so the URL of
// another environment cannot be load-tested under this one's name, and a production environment
// needs --allow-production. Plain http is accepted only on the loopback (a rehearsal server).
import type { SizedEnvironment } from "../../config/model";
import { blueprintNames } from "../../config/names";
import { UsageError } from "../args";

/** Where a key-authorized API's key is read from: a flag would show it in the process list. */
export const API_KEY_VARIABLE = "LZ_LOADTEST_API_KEY";

export interface RemoteTarget {
  stageUrl: string;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

export function checkStageUrl(
  env: SizedEnvironment,
  raw: string,
  allowProduction: boolean,
): RemoteTarget {
  const who = `${env.team.name} ${env.env}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(
      `--target: must be "local" or the stage's invoke URL, e.g. https://<api-id>.execute-api.${env.region}.amazonaws.com/${env.env} (got ${JSON.stringify(raw)})`,
    );
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.test(url.hostname))) {
    throw new UsageError(
      `--target: a stage URL is https (http only on the loopback, for a rehearsal server); got ${JSON.stringify(raw)}`,
    );
  }
  if (url.search || url.hash) {
    throw new UsageError(
      `--target: the stage URL has no query or fragment; got ${JSON.stringify(raw)}`,
    );
  }
  const stage = blueprintNames(env).stage;
  const path = url.pathname.replace(/\/+$/, "");
  if (path !== `/${stage}`) {
    throw new UsageError(
      `--target: the URL's path must be the stage of ${who}, /${stage} (got ${JSON.stringify(url.pathname)}); ` +
        `take it from \`terraform output -raw api_url\` of stack ${env.account.stackId}`,
    );
  }
  if (env.account.status !== "active") {
    throw new UsageError(
      `${who}: the account is ${env.account.status}, so it has no deployed stage to load-test (--target local still works)`,
    );
  }
  if (env.production && !allowProduction) {
    throw new UsageError(
      `${who} is a production environment: a load test sends its users' service real traffic and writes test rows to its table. ` +
        `Load-test a non-production stage first; give --allow-production only when production itself must be measured`,
    );
  }
  return { stageUrl: `${url.origin}${path}` };
}
