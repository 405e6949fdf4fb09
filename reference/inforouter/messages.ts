/** infoRouter's error texts, exactly as its documentation writes them. */
export const AUTHENTICATION_FAILED = '[900] Authentication failed'
export const TICKET_INVALID = '[901] Session expired or Invalid ticket'
export const USER_NOT_FOUND = 'User not found'
export const ACCESS_DENIED = 'Access denied'
export const SYSTEM_ERROR = 'SystemError:An unexpected error occurred.'
