/** UserInfo(SessionID, UserID) → `<UserInfoResult>` the v4.1 UserIDInfo, for a user the caller has authority over. */
import type { ElHandler } from '../context.ts'
import { accessibleTarget, viewOf } from '../guard.ts'
import { userIdInfoV41 } from '../user-info.ts'

export const userInfo: ElHandler = (ctx, params) => userIdInfoV41('UserInfoResult', viewOf(ctx, accessibleTarget(ctx, params).target), ctx.format)
