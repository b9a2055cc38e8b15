// Capacity planning against each account's quotas, before anything is synthesized: the declared
// traffic must fit, or the message says which quota increase to request.
import { suggestedLambdaQuota } from "../capacity";
import { layoutPaths } from "../layout";
import { envPath, type EnvironmentCheck } from "./context";

export const checkLambdaConcurrency: EnvironmentCheck = (e, { report }) => {
  const { reservedConcurrency: requiredConcurrency, reservableConcurrency } = e.capacity;
  if (requiredConcurrency <= reservableConcurrency) return;
  const suggested = suggestedLambdaQuota(requiredConcurrency, e.quotas.lambdaUnreservedMinimum);
  report(
    e.team.file,
    // Summed over the account's blueprints; declared traffic, when there is any, is what sizes most.
    e.traffic ? layoutPaths(e.team.raw, e.env).traffic : `${envPath(e)}.blueprints`,
    `needs ${requiredConcurrency} concurrent Lambda executions, account quota allows ${reservableConcurrency}; lower the declared traffic or add quotas.lambdaConcurrentExecutions: ${suggested} to request an increase`,
  );
};

export const checkApiGatewayRate: EnvironmentCheck = (e, { report }) => {
  const rps = e.capacity.apiRequestsPerSecond;
  if (rps <= e.quotas.apiGatewayRequestsPerSecond) return;
  report(
    e.team.file,
    `${layoutPaths(e.team.raw, e.env).traffic}.sync.requestsPerSecond`,
    `exceeds the account's API Gateway quota of ${e.quotas.apiGatewayRequestsPerSecond} requests per second; lower the declared traffic or add quotas.apiGatewayRequestsPerSecond: ${Math.ceil(rps / 1000) * 1000} to request an increase`,
    rps,
  );
};
