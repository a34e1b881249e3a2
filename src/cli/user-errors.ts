// The errors caused by what the user gave (a file, a flag, a config): printed as one line naming it, never retried.
import { ConfigError } from '../core/config/config-error.ts';
import { DatasetError } from '../core/datasets/issues.ts';
import { MotDataError } from '../core/eval/mot-preprocess.ts';
import { MediaOpenError } from '../media/video-info.ts';
import { ModelLoadError } from '../runtime/model-session.ts';
import { NodeOrtError } from '../runtime/node-ort.node.ts';
import { UserError } from './command.ts';

const USER_ERRORS = [UserError, ConfigError, MediaOpenError, DatasetError, MotDataError, ModelLoadError, NodeOrtError];

export function isUserInputError(err: unknown): err is Error {
  return USER_ERRORS.some((E) => err instanceof E);
}
