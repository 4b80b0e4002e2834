/**
 * First questions for someone new, offered by the chat surfaces (Slack's suggested prompts, Teams' welcome),
 * most useful first: Slack shows only four.
 */
export const SUGGESTED_QUESTIONS = ['what does my team own?', 'who owns checkout-api?', 'what breaks if payments-db goes down?', 'restart the cart pods', 'how do I deploy?']
