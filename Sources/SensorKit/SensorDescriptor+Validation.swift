/// Checking a reading against the declarations: the same check guards the
/// writer (a malformed reading never reaches the wire) and the subscriber.
extension SensorDescriptor {
    /// Throws the first way `reading` breaks the declarations: kind, field
    /// presence, types, ranges, allowed states, units, and alarms consistent
    /// with the declared raise and clear rules.
    public func validate(_ reading: Reading) throws(ReadingValidationError) {
        guard reading.kind == kind else {
            throw ReadingValidationError(.wrongKind, "reading of kind '\(reading.kind)' checked against '\(kind)'", field: Reading.Key.kind)
        }
        guard !reading.sensorName.isEmpty else {
            throw ReadingValidationError(.emptySensorName, "sensor_name is empty", field: Reading.Key.sensorName)
        }
        for (position, field) in reading.fields.enumerated() {
            guard let declared = self.field(named: field.name) else {
                throw ReadingValidationError(.unexpectedField, "\(kind) readings have no field '\(field.name)'", field: field.name)
            }
            if reading.fields[..<position].contains(where: { $0.name == field.name }) {
                throw ReadingValidationError(.duplicateField, "field '\(field.name)' appears twice", field: field.name)
            }
            try Self.check(field, against: declared)
        }
        for declared in fields where !reading.fields.contains(where: { $0.name == declared.name }) {
            throw ReadingValidationError(.missingField, "\(kind) reading lacks field '\(declared.name)'", field: declared.name)
        }
        try checkAlarms(of: reading)
    }

    private static func check(_ field: ReadingField, against declared: FieldDescriptor) throws(ReadingValidationError) {
        switch (declared.type, field.value) {
        case (.number(let number), .number(let value)):
            guard value.isFinite, number.range.contains(value) else {
                throw ReadingValidationError(
                    .outOfRange,
                    "\(field.name) = \(value.compactDescription) is outside \(number.range.lowerBound.compactDescription)...\(number.range.upperBound.compactDescription) \(number.unit)",
                    field: field.name
                )
            }
            guard field.unit == number.unit else {
                throw ReadingValidationError(
                    .wrongUnit, "\(field.name) must be in '\(number.unit)', not '\(field.unit ?? "no unit")'", field: field.name
                )
            }
        case (.choice(let values), .text(let value)):
            guard values.contains(value) else {
                throw ReadingValidationError(
                    .notAllowedValue, "\(field.name) = '\(value)' is not one of \(values.joined(separator: ", "))", field: field.name
                )
            }
            guard field.unit == nil else {
                throw ReadingValidationError(.wrongUnit, "\(field.name) is a state and has no unit", field: field.name)
            }
        case (.number, .text):
            throw ReadingValidationError(.wrongType, "\(field.name) must be a number", field: field.name)
        case (.choice, .number):
            throw ReadingValidationError(.wrongType, "\(field.name) must be a string", field: field.name)
        }
    }

    private func checkAlarms(of reading: Reading) throws(ReadingValidationError) {
        for (position, name) in reading.alarms.enumerated() {
            guard alarms.contains(where: { $0.name == name }) else {
                throw ReadingValidationError(.unknownAlarm, "\(kind) sensors have no alarm '\(name)'", field: Reading.Key.alarms)
            }
            if reading.alarms[..<position].contains(name) {
                throw ReadingValidationError(.duplicateAlarm, "alarm '\(name)' is listed twice", field: Reading.Key.alarms)
            }
        }
        for alarm in alarms {
            guard let fieldName = alarm.trigger.field, let value = reading[field: fieldName] else { continue }
            let listed = reading.alarms.contains(alarm.name)
            let (raises, clears): (Bool, Bool)
            switch alarm.trigger {
            case .above(_, let raise, let clear):
                let number = value.number ?? 0
                (raises, clears) = (number >= raise, number < clear)
            case .below(_, let raise, let clear):
                let number = value.number ?? 0
                (raises, clears) = (number <= raise, number > clear)
            case .states(_, let raise, let clear):
                let text = value.text ?? ""
                (raises, clears) = (raise.contains(text), clear.contains(text))
            case .device:
                continue
            }
            if raises, !listed {
                throw ReadingValidationError(.alarmNotRaised, "\(alarm.trigger.rule), but alarm '\(alarm.name)' is not listed", field: Reading.Key.alarms)
            }
            if clears, listed {
                throw ReadingValidationError(.alarmNotCleared, "alarm '\(alarm.name)' is listed although \(fieldName) = \(value) clears it", field: Reading.Key.alarms)
            }
        }
    }
}
