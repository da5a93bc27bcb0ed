import { randomUUID } from 'node:crypto';
import { call, type Reply } from './http.js';
import { recordSecret } from './run-dir.js';

export const FAULTS_PASSWORD = 'Fault-suite-lösenord-42';

export interface Registration {
  email: string;
  organisation: string;
  reply: Reply | null;
  error: string | null;
  startedAt: number;
  endedAt: number;
}

/** Self-registration writes two rows (organisation + user) in one transaction: a partial write shows. */
export async function register(
  base: string,
  tag: string,
  givenEmail?: string,
): Promise<Registration> {
  const id = randomUUID().slice(0, 8);
  const email = givenEmail ?? `${tag}-${id}@faults.example.se`;
  const organisation = `Feltest ${tag} ${id} AB`;
  const startedAt = Date.now();
  recordSecret('password', FAULTS_PASSWORD);
  try {
    const reply = await call(base, 'POST', '/api/auth/register', {
      body: {
        email,
        password: FAULTS_PASSWORD,
        displayName: `Testare ${id}`,
        role: 'company',
        organisation: { name: organisation },
      },
    });
    if (reply.body?.accessToken) recordSecret('access-token', reply.body.accessToken as string);
    if (reply.body?.refreshToken) recordSecret('refresh-token', reply.body.refreshToken as string);
    return { email, organisation, reply, error: null, startedAt, endedAt: Date.now() };
  } catch (error) {
    return {
      email,
      organisation,
      reply: null,
      error: String(error),
      startedAt,
      endedAt: Date.now(),
    };
  }
}
