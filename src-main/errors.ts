import { ApiError } from '../src-shared/contract';

/** A business rule refused the request; the message tells the cashier what to do next. Nothing was recorded. */
export function ruleError(message: string): ApiError {
  return new ApiError('rule', message);
}
export function notFound(message: string): ApiError {
  return new ApiError('not_found', message);
}
export function forbidden(message = 'No tiene permiso para esta operación.'): ApiError {
  return new ApiError('forbidden', message);
}
