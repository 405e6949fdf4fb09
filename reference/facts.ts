/**
 * What a run needs to know of the embedded reference without loading it (a run against a reference `conform serve`
 * serves reaches it over HTTP, and loads none of reference/). The registry builds on these.
 */

/**
 * The APIs whose sessions the control endpoint expires on demand (`POST /__reference/<api>/sessions/expiry`):
 * infoRouter's tickets expire 30 days after their last use; the others' sessions and credentials never expire.
 */
export const SESSION_EXPIRY_APIS: readonly string[] = ['inforouter']
