import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

type Json = any
const here = path.dirname(new URL(import.meta.url).pathname)

describe('the chat app manifests', () => {
  it('Slack: every request URL is /slack/events, and the scopes and events the app uses are asked for', async () => {
    const manifest: Json = parse(await readFile(path.join(here, 'slack/manifest.yaml'), 'utf8'))
    const urls = [manifest.settings.event_subscriptions.request_url, manifest.settings.interactivity.request_url, ...manifest.features.slash_commands.map((command: Json) => command.url)]
    for (const url of urls) expect(new URL(url).pathname).toBe('/slack/events')
    expect(manifest.features.slash_commands.map((command: Json) => command.command)).toEqual(['/portal'])
    expect(manifest.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['app_mentions:read', 'assistant:write', 'chat:write', 'commands', 'im:history', 'users:read', 'users:read.email']))
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(expect.arrayContaining(['app_mention', 'assistant_thread_started', 'message.im']))
    expect(manifest.settings.interactivity.is_enabled).toBe(true)
  })

  it('Teams: one bot whose id is the app id, and icons of the sizes Teams requires', async () => {
    const manifest: Json = JSON.parse(await readFile(path.join(here, 'teams/manifest.json'), 'utf8'))
    expect(manifest.bots).toHaveLength(1)
    expect(manifest.bots[0].botId).toBe(manifest.id)
    expect(manifest.bots[0].scopes).toEqual(['personal', 'team', 'groupChat'])
    const size = async (file: string) => {
      const png = await readFile(path.join(here, 'teams', file))
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG')
      return [png.readUInt32BE(16), png.readUInt32BE(20)]
    }
    expect(await size(manifest.icons.color)).toEqual([192, 192])
    expect(await size(manifest.icons.outline)).toEqual([32, 32])
  })
})
