import { defineErrors } from '../api-error.ts';

/**
 * Codes of eniplane's own API (product Eniplane, Version 2026-12-01): fault injection and reset.
 * Not the cloud's: named in its style (InvalidParameter.X 400, InvalidXxxId.NotFound 404).
 */
export const FaultErrors = defineErrors({
  actionUnknown: {
    code: 'InvalidParameter.Action',
    status: 400,
    message: (text: string) =>
      `The action "${text}" is not one eniplane implements: name it as Action or Product:Action (Ecs, Vpc, ResourceManager), e.g. Ecs:AttachNetworkInterface (docs/coverage.md lists them).`,
    description: 'Action names no action eniplane implements, or is malformed.',
  },
  actionAmbiguous: {
    code: 'InvalidParameter.Action',
    status: 400,
    message: (action: string, choices: string) => `"${action}" is an action of several products: name one of ${choices}.`,
    description: 'Action is implemented by several products (DescribeRegions, TagResources...): name the product.',
  },
  actionOwn: {
    code: 'InvalidParameter.Action',
    status: 400,
    message: (action: string) => `"${action}" is eniplane's own action: faults apply to the cloud's actions (Ecs, Vpc, ResourceManager).`,
    description: "Action is one of eniplane's own (AddFault, ResetAccount...): faults apply to the cloud's actions only.",
  },
  codeNotAnswered: {
    code: 'InvalidParameter.Code',
    status: 400,
    message: (code: string, action: string, codes: string) => `${action} never answers "${code}"; the codes it can answer are: ${codes}.`,
    description: "Code is neither one of the action's declared codes (docs/errors.md) nor InternalError, ServiceUnavailable or the product's conflict code.",
  },
  noEffect: {
    code: 'MissingParameter.Effect',
    status: 400,
    message: 'A fault needs an effect: Code, LatencyMs, AsyncResult or AsyncDelayMs.',
    description: 'None of Code, LatencyMs, AsyncResult, AsyncDelayMs was given.',
  },
  asyncNotSupported: {
    code: 'InvalidParameter.AsyncResult',
    status: 400,
    message: (action: string, actions: string) =>
      `${action} starts no asynchronous transition a fault can change; AsyncResult and AsyncDelayMs apply to ${actions}.`,
    description: 'AsyncResult or AsyncDelayMs on an action other than AttachNetworkInterface, DetachNetworkInterface, DeleteNetworkInterface.',
  },
  conflict: {
    code: 'InvalidParameter.Conflict',
    status: 400,
    message: (why: string) => why,
    description: 'Parameters that exclude each other: Code with AsyncResult or AsyncDelayMs (an error accepts nothing), TagValue without TagKey.',
  },
  notFound: {
    code: 'InvalidFaultId.NotFound',
    status: 404,
    message: (id: string) => `The specified FaultId "${id}" does not exist.`,
    description: 'FaultId names no fault rule of the account.',
  },
});
