export { createTeamsSurface, type TeamsSurface } from './create-teams-surface.ts'
export { teamsBot, CARD_ACTION_INVOKE, type TeamsCardMessage } from './teams-bot.ts'
export { adaptiveCardFor, approvalAdaptiveCard, APPROVE_VERB, DENY_VERB, ADAPTIVE_CARD_CONTENT_TYPE } from './adaptive-cards.ts'
export { teamsIdentity, AAD_OBJECT_ID_ANNOTATION, MICROSOFT_EMAIL_ANNOTATION } from './teams-identity.ts'
