// The school's clock moved to bot/calendar so incidents and tutoring share one copy.
export * from '../calendar/schoolTime';
