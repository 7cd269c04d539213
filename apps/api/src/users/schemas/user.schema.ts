import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * A registered user of the demo. The password is kept only as an argon2id hash.
 */
@Schema({ versionKey: false, timestamps: true })
export class User {
  @Prop({ type: String, required: true, unique: true, trim: true, lowercase: true })
  email!: string;

  @Prop({ type: String, required: true })
  passwordHash!: string;
}

/** Mongoose schema of {@link User}, with a unique index on `email`. */
export const UserSchema = SchemaFactory.createForClass(User);
