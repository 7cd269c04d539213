import { randomBytes } from 'node:crypto';
import { ConflictException, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Algorithm, hash, verify } from '@node-rs/argon2';
import type { Model } from 'mongoose';
import { User } from './schemas/user.schema';

/** What the service reveals of a user: never the password hash. */
export interface PublicUser {
  id: string;
  email: string;
}

const DUPLICATE_KEY = 11000;

/**
 * Registration and credential checks. Passwords are hashed with argon2id; the hash never
 * leaves this service.
 */
@Injectable()
export class UsersService implements OnModuleInit {
  // Verified against when the email is unknown, so both failures cost one argon2 verification.
  private dummyHash = '';

  constructor(@InjectModel(User.name) private readonly users: Model<User>) {}

  async onModuleInit(): Promise<void> {
    await this.users.init();
    this.dummyHash = await hashPassword(randomBytes(16).toString('base64url'));
  }

  /**
   * Creates a user.
   *
   * @throws ConflictException when the email is taken.
   */
  async register(email: string, password: string): Promise<PublicUser> {
    try {
      const user = await this.users.create({ email, passwordHash: await hashPassword(password) });
      return { id: user.id, email: user.email };
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) throw new ConflictException({ statusCode: 409, error: 'Conflict', reason: 'email_taken' });
      throw error;
    }
  }

  /** The user whose email and password match, or null; takes about as long either way. */
  async verifyCredentials(email: string, password: string): Promise<PublicUser | null> {
    const user = await this.users.findOne({ email: email.trim().toLowerCase() }).lean().exec();
    const matches = await verify(user?.passwordHash ?? this.dummyHash, password);
    return user && matches ? { id: String(user._id), email: user.email } : null;
  }
}

function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: Algorithm.Argon2id });
}
