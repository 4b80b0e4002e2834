export { createSlackApp, type CreateSlackAppOptions, type SlackSurface } from './create-slack-app.ts'
export { approvalBlocks, cardBlocks, escapeMrkdwn, APPROVE_ACTION, DENY_ACTION } from './slack-blocks.ts'
export { SlackHttpReceiver } from './slack-http-receiver.ts'
export { SlackIdentities, SLACK_USER_ID_ANNOTATION } from './slack-identity.ts'
