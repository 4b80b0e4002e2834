import { describe, expect, it } from 'vitest'
import { loadConfig } from './config.ts'

describe('Neo4j configuration', () => {
  it('is absent without NEO4J_URL and complete with it', () => {
    expect(loadConfig({}).neo4j).toBeUndefined()
    expect(loadConfig({ NEO4J_URL: 'neo4j+s://graph.example.com:7687', NEO4J_USER: 'portal', NEO4J_PASSWORD: 'secret', NEO4J_DATABASE: 'catalog' }).neo4j).toEqual({ url: 'neo4j+s://graph.example.com:7687', user: 'portal', password: 'secret', database: 'catalog' })
    expect(loadConfig({ NEO4J_URL: 'bolt://127.0.0.1:7687' }).neo4j).toEqual({ url: 'bolt://127.0.0.1:7687' })
  })

  it('names the variable that is wrong or missing', () => {
    expect(() => loadConfig({ NEO4J_URL: 'http://127.0.0.1:7474' })).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path: 'NEO4J_URL', message: expect.stringMatching(/Bolt URL/) })] }))
    expect(() => loadConfig({ NEO4J_PASSWORD: 'secret' })).toThrow(expect.objectContaining({ issues: [{ path: 'NEO4J_URL', message: 'is required with NEO4J_PASSWORD' }] }))
    expect(() => loadConfig({ NEO4J_URL: 'neo4j://db:7687', NEO4J_PASSWORD: 'secret' })).toThrow(expect.objectContaining({ issues: [{ path: 'NEO4J_USER', message: 'is required with NEO4J_PASSWORD' }] }))
  })
})
