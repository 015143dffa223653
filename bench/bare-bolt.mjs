// The floor for bench/acks.ts: a bare Bolt app that acknowledges every click and command at once, with the
// same signature check and receiver as any Bolt app over HTTP. PORT and SLACK_SIGNING_SECRET from the
// environment; prints "listening" once it takes requests.
import bolt from '@slack/bolt';

const app = new bolt.App({
  token: 'xoxb-bench',
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
  botId: 'B0001',
  botUserId: 'UBOT',
  tokenVerificationEnabled: false,
  logLevel: bolt.LogLevel.ERROR,
});
app.action(/.*/, async ({ ack }) => ack());
app.command(/.*/, async ({ ack }) => ack());
await app.start({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.stdout.write('listening\n');
