/** ECGrid REST error answers (api-facts §2 codes): status, errorCode and message together. */
import { restError, type RestError } from '../rest/types.ts'

export const INVALID_API_KEY = restError(401, 'InvalidAPIKey', 'The provided API key is not valid or has been revoked.')
export const ACCESS_DENIED = restError(403, 'AccessDenied', 'Access denied')
export const USER_NOT_FOUND = restError(404, 'ObjectNotFound', 'User not found')
export const INVALID_EMAIL = restError(400, 'InvalidParameter', 'Invalid email address')
export const INVALID_USER_ID = restError(400, 'InvalidParameter', 'userId is required and must be an integer')
export const INVALID_ID = restError(400, 'InvalidParameter', 'The user id must be an integer')
export const WRONG_CONTENT_TYPE = restError(400, 'InvalidParameter', 'Content-Type must be application/json')
export const MALFORMED_JSON = restError(400, 'InvalidParameter', 'The request body is not valid JSON')
export const NOT_AN_OBJECT = restError(400, 'InvalidParameter', 'The request body must be a JSON object')
export const RESOURCE_NOT_FOUND = restError(404, 'ObjectNotFound', 'Resource not found')
export const METHOD_NOT_ALLOWED = restError(405, 'InvalidParameter', 'Method not allowed')
export const BODY_TOO_LARGE = restError(413, 'InvalidParameter', 'The request body is too large')
export const INTERNAL_ERROR = restError(500, 'InternalError', 'An unexpected error occurred.')

export const notAString = (field: string): RestError => restError(400, 'InvalidParameter', `${field} must be a string or null`)
