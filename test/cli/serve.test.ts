import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import * as soap from 'soap'
import { request } from 'undici'
import { expect, test } from 'vitest'
import { PROJECT_ROOT } from '../../src/paths.ts'

test('conform serve runs the reference standalone; a node-soap client generated from its WSDL updates contact info', async () => {
  const child = spawn(process.execPath, [resolve(PROJECT_ROOT, 'bin/conform.mjs'), 'serve', '--port', '0', '--print-control-key'], { cwd: PROJECT_ROOT })
  let out = ''
  const exited = new Promise<number | null>((r) => child.on('close', r))
  try {
    const url = await new Promise<string>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`no URL printed: ${out}`)), 15_000)
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
        const k = /control key: (\w+)/.exec(out)
        if (m && k) {
          clearTimeout(timer)
          ok(m[1]!)
        }
      })
    })
    const key = /control key: (\w+)/.exec(out)![1]!
    const made = await request(`${url}/__reference/inforouter/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-reference-control': key },
      body: JSON.stringify({
        userName: 'jdoe',
        password: 'pw-12345',
        role: 'member',
        firstName: 'John',
        lastName: 'Doe',
        email: 'john@example.com',
        mobileNumber: '1',
      }),
    })
    expect(made.statusCode).toBe(201)
    await made.body.dump()

    const client = await soap.createClientAsync(`${url}/srv.asmx?WSDL`)
    const [auth] = await client.AuthenticateUserAsync({ UID: 'jdoe', PWD: 'pw-12345' })
    const ticket =
      /ticket="([^"]+)"/.exec(JSON.stringify(auth))?.[1] ??
      (auth as { AuthenticateUserResult?: { root?: { attributes?: { ticket?: string } } } }).AuthenticateUserResult?.root?.attributes?.ticket
    expect(ticket).toMatch(/^[0-9a-f-]{36}$/)
    const [, rawResponse, , rawRequest] = await client.UpdateUserContactInfoAsync({
      authenticationTicket: ticket,
      userName: 'jdoe',
      emailAddress: 'john.doe@example.com',
      mobileNumber: '+15551234567',
    })
    expect(rawRequest).toContain('UpdateUserContactInfo')
    expect(rawResponse).toMatch(/<response[^>]*success="true"/)

    const read = await request(`${url}/srv.asmx/GetUser?authenticationTicket=${ticket}&UserName=jdoe`)
    const xml = await read.body.text()
    expect(xml).toContain('Email="john.doe@example.com"')
    expect(xml).toContain('MobileNumber="+15551234567"')
  } finally {
    child.kill('SIGTERM')
  }
  expect(await exited).toBe(0)
})
