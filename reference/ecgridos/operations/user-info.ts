/** UserInfo(SessionID, UserID) → `<UserInfoResult>` UserIDInfo, for a user the caller has authority over (D4). */
import type { EoHandler } from '../context.ts'
import { accessibleTarget } from '../guard.ts'
import { userIdInfo } from '../user-info.ts'

export const userInfo: EoHandler = (ctx, params) => userIdInfo('UserInfoResult', accessibleTarget(ctx, params), ctx.format)
