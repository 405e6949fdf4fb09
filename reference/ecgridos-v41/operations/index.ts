/** The live profile's handler table (signatures and types: service.ts). */
import type { ElHandler } from '../context.ts'
import { login } from './login.ts'
import { logout } from './logout.ts'
import { userInfo } from './user-info.ts'
import { userUpdate } from './user-update.ts'

export const ECGRIDOS_V41_HANDLERS: Readonly<Record<string, ElHandler>> = {
  Login: login,
  Logout: logout,
  UserInfo: userInfo,
  UserUpdate: userUpdate,
}
