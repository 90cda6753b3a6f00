"""exchange: versions seen and pending conflicts

Revision ID: 0004_exchange
Revises: 0003_exercises
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = '0004_exchange'
down_revision = '0003_exercises'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('exchange_seen',
    sa.Column('table_name', sa.String(), nullable=False),
    sa.Column('record_key', sa.String(), nullable=False),
    sa.Column('content_hash', sa.String(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('table_name', 'record_key', 'content_hash')
    )
    op.create_table('exchange_conflict',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('table_name', sa.String(), nullable=False),
    sa.Column('record_key', sa.String(), nullable=False),
    sa.Column('workshop_id', sa.String(), nullable=False),
    sa.Column('label', sa.String(), nullable=False),
    sa.Column('source', sa.String(), nullable=False),
    sa.Column('incoming_json', sa.String(), nullable=False),
    sa.Column('incoming_revision', sa.Integer(), nullable=False),
    sa.Column('incoming_hash', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('exchange_conflict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exchange_conflict_record_key'), ['record_key'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_exchange_conflict_workshop_id'), ['workshop_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('exchange_conflict', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exchange_conflict_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_exchange_conflict_record_key'))
    op.drop_table('exchange_conflict')
    op.drop_table('exchange_seen')
