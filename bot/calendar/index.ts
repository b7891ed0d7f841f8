export * from './holidays';
export * from './workingDays';
export * from './schoolTime';
export * from './schoolCalendar';
export * from './ukFormat';
