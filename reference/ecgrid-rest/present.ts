/** ECGrid REST's JSON: the camelCase UserIDInfo and the `{success, data, errorCode?, message?}` envelope. */
import type { EcUser } from '../ecgrid/users.ts'
import type { EnvelopeWriter, Presenter } from '../rest/pipeline.ts'

export const presentUser: Presenter<EcUser> = (user) => ({
  userId: user.id,
  login: user.login,
  email: user.email,
  firstName: user.firstName,
  lastName: user.lastName,
  networkId: user.networkId,
  mailboxId: user.mailboxId,
  authLevel: user.authLevel,
  status: user.status,
  created: user.created,
})

/** Success carries no errorCode/message keys; an error has data null. */
export const ecgridEnvelope: EnvelopeWriter = (result) =>
  result.ok
    ? { status: result.status, body: { success: true, data: result.data } }
    : { status: result.status, body: { success: false, data: null, errorCode: result.errorCode, message: result.message } }
