/** First questions for someone new, offered by the chat surfaces (Slack's suggested prompts, Teams' welcome). */
export const SUGGESTED_QUESTIONS = ['what does my team own?', 'how do I deploy?', 'who owns checkout-api?', 'what breaks if payments-db goes down?', 'restart the cart pods']
