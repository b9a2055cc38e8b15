// One Lambda function of the blueprint: its log group (created first, with retention), its own role
// with only what its code needs, the function (arm64, traced, published) and the `live` alias that
// every caller invokes, optionally weighted for a canary.
import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaAlias } from "@cdktf/provider-aws/lib/lambda-alias";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaProvisionedConcurrencyConfig } from "@cdktf/provider-aws/lib/lambda-provisioned-concurrency-config";
import type { PolicyStatement, ResolvedFunction } from "../../config/model";
import { LZ_PREFIX } from "../../config/policies";
import { lambdaCode } from "./code";
import { assumeRolePolicy, policyDocument } from "../policy-statements";
import { logStatement, TRACING_STATEMENT } from "./iam";
import type { ReferenceFunction } from "./reference-package";

/** The current Node.js LTS runtime of Lambda that provider 6.25 accepts. */
export const LAMBDA_RUNTIME = "nodejs22.x";
export const LAMBDA_ARCHITECTURE = "arm64";

export interface ServiceFunctionProps {
  kind: ReferenceFunction;
  functionName: string;
  aliasName: string;
  settings: ResolvedFunction;
  reservedConcurrency: number;
  logRetentionDays: number;
  environment: Record<string, string>;
  /** What the code does beyond writing logs and traces. */
  statements: PolicyStatement[];
  /** For messages about a missing zip. */
  field: string;
}

export class ServiceFunction extends Construct {
  readonly function: LambdaFunction;
  readonly alias: LambdaAlias;
  readonly logGroup: CloudwatchLogGroup;
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionDays,
    });
    this.role = new IamRole(this, "role", {
      name: `${LZ_PREFIX}${props.functionName}`,
      description: `Execution role of ${props.functionName}`,
      assumeRolePolicy: assumeRolePolicy("lambda.amazonaws.com"),
    });
    const policy = new IamRolePolicy(this, "policy", {
      name: "least-privilege",
      role: this.role.id,
      policy: policyDocument([
        logStatement(this.logGroup.arn),
        TRACING_STATEMENT,
        ...props.statements,
      ]),
    });
    const { settings } = props;
    this.function = new LambdaFunction(this, "function", {
      functionName: props.functionName,
      role: this.role.arn,
      runtime: LAMBDA_RUNTIME,
      architectures: [LAMBDA_ARCHITECTURE],
      memorySize: settings.memoryMb,
      timeout: settings.timeoutSeconds,
      reservedConcurrentExecutions: props.reservedConcurrency,
      publish: true,
      tracingConfig: { mode: "Active" },
      loggingConfig: { logFormat: "JSON", logGroup: this.logGroup.name },
      environment: { variables: props.environment },
      ...lambdaCode(this, props.kind, settings.code, props.field),
      // The log group must exist with its retention before the first invocation creates one without;
      // the policy must exist before the function is invoked by its event source.
      dependsOn: [this.logGroup, policy],
    });
    const canary = settings.canary;
    this.alias = new LambdaAlias(this, "alias", {
      name: props.aliasName,
      functionName: this.function.functionName,
      // A canary keeps `live` on the stable version and sends `weight` to the one just published.
      functionVersion: canary ? canary.stableVersion : this.function.version,
      routingConfig: canary
        ? { additionalVersionWeights: { [this.function.version]: canary.weight } }
        : undefined,
    });
    if (settings.provisionedConcurrency > 0) {
      new LambdaProvisionedConcurrencyConfig(this, "provisioned", {
        functionName: this.function.functionName,
        qualifier: this.alias.name,
        provisionedConcurrentExecutions: settings.provisionedConcurrency,
      });
    }
  }
}
